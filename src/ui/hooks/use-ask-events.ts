import { useEffect, useRef, useState } from 'react';
import type { AnswerEvent, AnswerSource } from '../../core/answer/answer.js';
import type { AskEvent } from '../../core/runbooks/ask.js';
import type { IndexResult } from '../../core/runbooks/indexer.js';
import type { SearchResult } from '../../core/runbooks/search.js';

/** Everything one question has produced so far, as the terminal shows it. */
export interface AskView {
  phase: 'retrieving' | 'answering' | 'done' | 'failed';
  indexed?: IndexResult;
  result?: SearchResult;
  prompt?: Extract<AnswerEvent, { type: 'prompt' }>;
  /** Streamed answer text so far. */
  text: string;
  /** Sources cited so far, in the order they were first cited. */
  citations: AnswerSource[];
  done?: Extract<AnswerEvent, { type: 'done' }>;
  /** A failure the stream threw (index error, Ctrl-C); message and hint. */
  error?: { message: string; hint?: string; cause: unknown };
}

export const initialAskView: AskView = { phase: 'retrieving', text: '', citations: [] };

/** Folds one event into the view (pure, so Ink components and tests share it). */
export function reduceAsk(view: AskView, ev: AskEvent): AskView {
  switch (ev.type) {
    case 'indexed':
      return { ...view, indexed: ev.result };
    case 'retrieved':
      return { ...view, result: ev.result };
    case 'prompt':
      return { ...view, prompt: ev, phase: 'answering' };
    case 'delta':
      return { ...view, text: view.text + ev.text, phase: 'answering' };
    case 'citation':
      return { ...view, citations: [...view.citations, ev.source] };
    case 'done':
      return { ...view, done: ev, phase: 'done' };
  }
}

/**
 * Consumes an ask event stream into state. `onFinish` runs once with the final view (done or failed).
 * Deltas arriving in one burst are folded together before React renders, so a fast stream stays cheap.
 */
export function useAskEvents(events: AsyncIterable<AskEvent>, onFinish?: (view: AskView) => void): AskView {
  const [view, setView] = useState<AskView>(initialAskView);
  const finish = useRef(onFinish);
  finish.current = onFinish;
  useEffect(() => {
    let current = initialAskView;
    let stopped = false;
    void (async () => {
      try {
        for await (const ev of events) {
          current = reduceAsk(current, ev);
          if (!stopped) setView(current);
        }
      } catch (e) {
        const err = e as Error & { hint?: string };
        current = { ...current, phase: 'failed', error: { message: err.message, hint: err.hint, cause: e } };
        if (!stopped) setView(current);
      }
      finish.current?.(current);
    })();
    return () => {
      stopped = true;
    };
  }, [events]);
  return view;
}
