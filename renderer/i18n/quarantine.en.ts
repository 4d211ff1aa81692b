/** English strings of the quarantined events (shared/record/untrusted.ts), beside the sync state. */
export const quarantineEn = {
  note_one: '{{count}} event quarantined',
  note_other: '{{count}} events quarantined',
  title: 'Quarantined events',
  intro:
    'These events came from another laptop, the hub or a file. They are kept and passed on to the team, but this console leaves them out of the incidents it shows, for one of these reasons:',
  /** One sentence per family of reasons (renderer/features/sync/quarantine-families.ts). */
  family: {
    unreadable: 'Unreadable: this version cannot read what it says, it is on the wrong stream, or the hub would not take it.',
    clock:
      'Dated ahead: stamped more than 5 minutes ahead of this laptop’s clock, or a breach dated in its future. It stays set aside even once that time comes: its stamp would put it after everything the team recorded meanwhile.',
    sealed:
      'Sealed: the team seals its record and this event does not open here (no team key, a key this laptop does not hold, or changed on the way), or it arrived unsealed.',
    declaration: 'Second declaration: an incident already declared here was declared again; taking it would have rewritten the incident.',
  },
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
    second_declaration: 'Second declaration',
  },
  /** Why, in the UI's language (the core's own English words are in the tooltip, for support). */
  detail: {
    invalid_payload: 'This version cannot read what it says.',
    future_clock: 'Stamped {{ahead}} ahead of this laptop’s clock.',
    future_clock_unknown: 'Stamped too far ahead of this laptop’s clock.',
    future_breach: 'A breach dated in this laptop’s future is not believed.',
    wrong_stream: 'A team setting and an incident event mixed up: it is on the wrong stream.',
    refused_by_hub: 'The hub would not take it, so it cannot be synced.',
    second_declaration: 'A second declaration of an incident already declared here: it would have rewritten it.',
    no_team_key: 'It is sealed, and this laptop has no team key to open it.',
    unknown_key: 'It is sealed with a team key this laptop does not hold.',
    not_authentic: 'It does not open with the team key: changed or forged on the way.',
    not_sealed: 'It arrived unsealed although the team seals its record.',
  },
};
