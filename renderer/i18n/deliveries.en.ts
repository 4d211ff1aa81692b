/** English strings of updates going out (hub deliveries) and of the public status page. */
export const deliveriesEn = {
  state: {
    waiting: 'Waiting on this laptop',
    handed: 'Handed to the hub',
    delivered: 'Delivered',
    failed: 'Failed',
  },
  heading: 'Deliveries',
  via: '{{channel}} ({{kind}})',
  deliver: 'Send through the hub',
  deliverHint: 'The hub delivers it to this audience’s channels (e-mail, chat, webhook); without a hub it waits on this laptop.',
  kind: { email: 'e-mail', slack: 'Slack', teams: 'Microsoft Teams', mattermost: 'Mattermost', webhook: 'webhook' },
  publicOn: 'Shown on the public status page as “{{title}}”',
  publicOff: 'Not on the public status page',
  makePublic: 'Show on the status page',
  makePrivate: 'Take off the status page',
  publicTitle: 'Public title',
  publish: 'Publish on the status page',
  published: 'Published',
  publicStatus: { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' },
  failedAction: 'The status page action failed: {{message}}',
} as const;
