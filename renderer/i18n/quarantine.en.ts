/** English strings of the quarantined events (shared/record/untrusted.ts), beside the sync state. */
export const quarantineEn = {
  note_one: '{{count}} event quarantined',
  note_other: '{{count}} events quarantined',
  title: 'Quarantined events',
  intro:
    'These events came from another laptop, the hub or a file. They are kept and passed on to the team, but this console does not use them: they could not be read, or their clock is too far ahead of this laptop’s.',
  close: 'Close',
  from: 'from {{actor}} on laptop {{device}}',
  more_one: 'and {{count}} older one',
  more_other: 'and {{count}} older ones',
  code: {
    invalid_payload: 'Unreadable by this version',
    future_clock: 'Clock too far ahead',
    future_breach: 'Breach dated in the future',
    wrong_stream: 'On the wrong stream',
    refused_by_hub: 'Refused by the hub',
    no_team_key: 'Sealed, and this laptop has no team key',
    unknown_key: 'Sealed with a key this laptop does not hold',
    not_authentic: 'Does not open with the team key (changed or forged)',
    not_sealed: 'Arrived unsealed from a sealed team',
  },
};
