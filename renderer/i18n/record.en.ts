/** English strings of "the record says only what people chose" (issue #10): refusals, questions, error codes. */
export const recordEn = {
  quick: {
    badOwner: 'Write the owner as @name, e.g. /task Check DNS @ana 5m. Your text is kept.',
    badCheckBack: '“{{value}}” is not a check-back: write a delay (5m, 1h30m, 2d — a bare number is minutes) or a time (14:32). Your text is kept.',
    unknownAudience: '“{{audience}}” is not an audience yet. Create it, with the usual cadence, and draft an update to it?',
    createAudience: 'Create “{{audience}}”',
    cancel: 'Cancel',
    reopened: 'The update to {{audience}} is not sent yet: it is open again, rather than a second one.',
  },
};
