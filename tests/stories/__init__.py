"""Story steps that several test modules share (each module: one area of the bot)."""
