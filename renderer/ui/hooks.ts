import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from 'date-fns';
import { dateLocales } from '../i18n/index.js';
import { splitDuration } from './format.js';
import { useUi } from '../app/ui-store.js';

/** The current time, re-read every `intervalMs`; only components showing a running clock use it. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

export function useDateLocale(): Locale {
  return dateLocales[useUi((s) => s.language)];
}

/** "01:02:03", or "3 days 01:02:03" past a day, in the current language. */
export function useFormatDuration(): (ms: number) => string {
  const { t } = useTranslation();
  return useCallback(
    (ms: number) => {
      const { days, hms } = splitDuration(ms);
      return days > 0 ? `${t('duration.days', { count: days })} ${hms}` : hms;
    },
    [t],
  );
}
