import type { ChatMessage } from '../ports.js';
import type { AnswerSource } from './answer.js';

/** One finished question and answer of an interactive session. */
export interface ConversationTurn {
  question: string;
  /** The generated answer, or undefined when there was none (no match, LLM down). */
  answer?: string;
  sources: AnswerSource[];
}

/** Earlier turns the prompt carries: enough for "and then?" to make sense, little enough to leave room for sections. */
export const HISTORY_TURNS = 3;

/**
 * The retrieval query for a follow-up: the follow-up plus the previous question, so "what if that fails?"
 * still finds the sections about the original problem.
 */
export function followUpQuery(question: string, history: readonly ConversationTurn[]): string {
  const prev = history[history.length - 1]?.question;
  return prev ? `${question} ${prev}` : question;
}

/**
 * Previous Q/A pairs as chat turns. Citations are stripped from earlier answers: their [n] numbered other
 * sections, and leaving them in would let the model cite a number that means something else now.
 */
export function historyMessages(history: readonly ConversationTurn[]): ChatMessage[] {
  return history
    .slice(-HISTORY_TURNS)
    .filter((t) => t.answer !== undefined)
    .flatMap((t): ChatMessage[] => [
      { role: 'user', content: t.question },
      { role: 'assistant', content: stripCitations(t.answer ?? '') },
    ]);
}

function stripCitations(text: string): string {
  return text.replace(/\s*\[\d+(?:\s*,\s*\d+)*\]/g, '').trim();
}

/** The state of an interactive session: what was asked and answered, and the last sources for `/sources`. */
export class Conversation {
  readonly turns: ConversationTurn[] = [];

  /** Records a finished turn. */
  add(turn: ConversationTurn): void {
    this.turns.push(turn);
  }

  /** Sources of the last turn that had any. */
  lastSources(): AnswerSource[] {
    for (let i = this.turns.length - 1; i >= 0; i--) if (this.turns[i].sources.length > 0) return this.turns[i].sources;
    return [];
  }
}
