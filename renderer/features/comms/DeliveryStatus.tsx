import { useTranslation } from 'react-i18next';
import { useDeliveries } from './deliveries-store.js';
import { shortTime } from '../../ui/format.js';
import { useDateLocale, useNow } from '../../ui/hooks.js';
import { failureWords } from '../../../shared/deliveries/failures.js';
import { sentenceT } from '../timeline/timeline-text.js';

/** Under a sent update: where its delivery stands, channel by channel, in words that never overstate it. */
export function DeliveryStatus({ draftId }: { draftId: string }) {
  const { t } = useTranslation();
  const locale = useDateLocale();
  const now = useNow(60_000);
  const delivery = useDeliveries((s) => s.byDraft[draftId]);
  if (!delivery) return null;
  return (
    <div className="delivery-status" data-testid="delivery-status" data-local={delivery.local}>
      <p className={`delivery-line delivery-${delivery.local}`}>
        <span className="label">{t('deliveries.heading')}</span> {t(`deliveries.state.${delivery.local}`)}
      </p>
      {delivery.outcomes.length > 0 && (
        <ul className="delivery-outcomes">
          {delivery.outcomes.map((o) => (
            <li key={o.channelId ?? '-'} className={`delivery-${o.state}`} data-state={o.state} data-channel={o.channelId ?? ''}>
              {o.channelId && o.channelKind ? t('deliveries.via', { channel: o.channelId, kind: t(`deliveries.kind.${o.channelKind}`) }) + ' — ' : ''}
              {t(`deliveries.state.${o.state}`)} · {shortTime(o.at, now, locale)}
              {o.state === 'failed' && (o.reason || o.failure)
                ? ` — ${failureWords(o, (code, values) => sentenceT(t)(`kind.delivery.outcome.why_${code}`, values))}`
                : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
