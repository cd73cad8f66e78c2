-- Outbox messages keep their buttons as the Bot API's JSON, the one keyboard format of the
-- bot: {"text", "reply_markup": {"inline_keyboard": [[{"text", "callback_data"} or
-- {"text", "url"}, …], …]}} instead of {"text", "buttons": [[{"text", "data"} or
-- {"text", "url"}, …], …]}. Rows written before are converted, pending ones (still to be
-- sent) and the others alike (an export shows them); a row without buttons loses the key.
-- json_each yields an array in order; each nested SELECT keeps that order for
-- json_group_array, and json() restores the JSON type a subquery's result loses.
UPDATE outbox
SET payload = CASE
    WHEN json_array_length(payload, '$.buttons') > 0 THEN json_set(
        json_remove(payload, '$.buttons'),
        '$.reply_markup',
        json_object('inline_keyboard', json((
            SELECT json_group_array(json(keyboard_row)) FROM (
                SELECT (
                    SELECT json_group_array(json(CASE
                        WHEN json_type(button.value, '$.url') IS NOT NULL THEN json_object(
                            'text', json_extract(button.value, '$.text'),
                            'url', json_extract(button.value, '$.url'))
                        ELSE json_object(
                            'text', json_extract(button.value, '$.text'),
                            'callback_data', json_extract(button.value, '$.data'))
                    END))
                    FROM (SELECT value FROM json_each(line.value) ORDER BY key) AS button
                ) AS keyboard_row
                FROM json_each(payload, '$.buttons') AS line
                WHERE json_array_length(line.value) > 0
                ORDER BY line.key
            )
        )))
    )
    ELSE json_remove(payload, '$.buttons')
END
WHERE json_valid(payload) AND json_type(payload, '$.buttons') IS NOT NULL;
