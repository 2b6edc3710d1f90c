import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { App } from 'antd';
import { errorMessage } from '../api/client';

const PHONE_QUERY = '(max-width: 767.98px)';

/** True under 768 px: side menu becomes a drawer, tables become cards. */
export function useIsMobile(): boolean {
  return useSyncExternalStore(
    (cb) => {
      const mq = window.matchMedia(PHONE_QUERY);
      mq.addEventListener('change', cb);
      return () => mq.removeEventListener('change', cb);
    },
    () => window.matchMedia(PHONE_QUERY).matches,
    () => false,
  );
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `fn` whenever `deps` change (and on reload), dropping answers that arrive after a newer
 * request started, so fast filter changes never show stale rows.
 */
export function useLoad<T>(fn: (signal: AbortSignal) => Promise<T>, deps: unknown[], enabled = true): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(enabled);
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    if (!enabled) {
      setLoading(false);
      return;
    }
    const ctl = new AbortController();
    setLoading(true);
    fnRef.current(ctl.signal).then(
      (d) => {
        if (ctl.signal.aborted) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e) => {
        if (ctl.signal.aborted) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick, enabled]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/** Sets the browser tab title: "页面 - 支部". */
export function useTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} - 支部` : '支部 · 基层党建工作平台';
  }, [title]);
}

/**
 * A submit action with its busy flag: runs `fn`, shows the server's Chinese error as a message when it
 * fails, and clears the flag either way (the try/catch/finally every dialog would otherwise repeat).
 */
export function useSubmit(): [boolean, (fn: () => Promise<void>) => Promise<void>] {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }, [message]);
  return [busy, run];
}
