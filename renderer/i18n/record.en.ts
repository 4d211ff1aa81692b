/** English strings of "the record says only what people chose" (issue #10): refusals, questions, error codes. */
export const recordEn = {
  choice: {
    hint: 'Enter applies · Esc cancels',
  },
  askName: {
    title: 'Who is at this console?',
    lead: 'Every entry of the record carries its author’s name. Say yours once; it stays on this device and can be changed from the command palette (Ctrl+K).',
    label: 'Your name',
    placeholder: 'e.g. Frank Moreau',
    save: 'Start',
    empty: 'Type your name: the record will carry it from the first entry.',
    hint: 'The name goes with every entry you record, and to the team hub when sync is on.',
  },
  quick: {
    badOwner: 'Write the owner as @name, e.g. /task Check DNS @ana 5m. Your text is kept.',
    badCheckBack: '“{{value}}” is not a check-back: write a delay (5m, 1h30m, 2d — a bare number is minutes) or a time (14:32). Your text is kept.',
    unknownAudience: '“{{audience}}” is not an audience yet. Create it, with the usual cadence, and draft an update to it?',
    createAudience: 'Create “{{audience}}”',
    cancel: 'Cancel',
    reopened: 'The update to {{audience}} is not sent yet: it is open again, rather than a second one.',
  },
};
