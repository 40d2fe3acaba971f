/**
 * Scoring a question set end to end with the engine as users get it: ranking quality (Recall@1,
 * Recall@5, MRR, answer in the first highlight) from the unfiltered ranking (`explain: true`), and
 * the decisions (answered, declined, passages shown and how many of them are relevant) from a
 * normal search, which applies the relevance model's operating points.
 */
import type { Engine } from '../core/types.ts';
import { hitLabel, type DatasetQuestion } from './relevance-dataset.ts';

/** Passages ranked for Recall@5 and MRR whatever k the answers use. */
export const RANKING_DEPTH = 5;

/** What happened to one question. */
export interface QuestionOutcome {
  readonly question: DatasetQuestion;
  /** 1-based rank of the first passage overlapping a gold span in the unfiltered ranking; null when none in the top {@link RANKING_DEPTH} (or unanswerable). */
  readonly goldRank: number | null;
  /** The first passage's highlight in the unfiltered ranking ('' when nothing was found). */
  readonly topHighlight: string;
  /** The normal search: did it abstain, and the labels of the passages it showed (when it answered). */
  readonly abstained: boolean;
  readonly shownLabels: readonly (0 | 1)[];
}

/** Asks each question twice: for its ranking (`explain`) and as a user would (k passages at most). */
export async function askQuestions(engine: Engine, questions: readonly DatasetQuestion[], k: number, onQuestion?: (done: number, total: number) => void): Promise<QuestionOutcome[]> {
  const outcomes: QuestionOutcome[] = [];
  for (const question of questions) {
    const ranking = await engine.search(question.question, { k: Math.max(k, RANKING_DEPTH), explain: true });
    const index = ranking.hits.slice(0, RANKING_DEPTH).findIndex((hit) => hitLabel(hit, question.gold) === 1);
    const answer = await engine.search(question.question, { k });
    outcomes.push({
      question,
      goldRank: index === -1 ? null : index + 1,
      topHighlight: ranking.hits[0]?.highlight ?? '',
      abstained: answer.abstained,
      shownLabels: answer.abstained ? [] : answer.hits.map((hit) => hitLabel(hit, question.gold)),
    });
    onQuestion?.(outcomes.length, questions.length);
  }
  return outcomes;
}

/** A share with its counts, so a reader sees how many questions a rate stands on. */
export interface Rate {
  readonly rate: number;
  readonly count: number;
  readonly of: number;
}

const rate = (count: number, of: number): Rate => ({ rate: of === 0 ? 0 : count / of, count, of });

export interface SourceScores {
  readonly answerable: number;
  readonly unanswerable: number;
  readonly recall1: Rate;
  readonly recall5: Rate;
  readonly mrr: number;
  /** Answerable questions with a gold answer string whose first highlight contains it (case-insensitive). */
  readonly answerInHighlight1: Rate;
  readonly answerableAnswered: Rate;
  readonly unanswerableDeclined: Rate;
  /** Declined per kind the file gives (`near-topic`, `off-topic`; `unlabelled` when it gives none). */
  readonly declinedByKind: Readonly<Record<string, Rate>>;
  /** Over the answers given (abstentions excluded): passages shown per answer, and the share of shown passages that are relevant. */
  readonly passagesPerAnswer: number;
  readonly shownRelevant: Rate;
}

/** Summarises the outcomes of one source. Pure. */
export function summariseOutcomes(outcomes: readonly QuestionOutcome[]): SourceScores {
  const answerable = outcomes.filter((outcome) => outcome.question.gold.length > 0);
  const unanswerable = outcomes.filter((outcome) => outcome.question.gold.length === 0);
  const withAnswers = answerable.filter((outcome) => outcome.question.answers.length > 0);
  const answers = outcomes.filter((outcome) => !outcome.abstained);
  const shown = answers.flatMap((outcome) => outcome.shownLabels);
  const kinds = new Map<string, QuestionOutcome[]>();
  for (const outcome of unanswerable) {
    const kind = outcome.question.unanswerableKind ?? 'unlabelled';
    kinds.set(kind, [...(kinds.get(kind) ?? []), outcome]);
  }
  const declined = (items: readonly QuestionOutcome[]) => rate(items.filter((outcome) => outcome.abstained).length, items.length);
  return {
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    recall1: rate(answerable.filter((outcome) => outcome.goldRank === 1).length, answerable.length),
    recall5: rate(answerable.filter((outcome) => outcome.goldRank !== null).length, answerable.length),
    mrr: answerable.length === 0 ? 0 : answerable.reduce((sum, outcome) => sum + (outcome.goldRank === null ? 0 : 1 / outcome.goldRank), 0) / answerable.length,
    answerInHighlight1: rate(
      withAnswers.filter((outcome) => outcome.question.answers.some((answer) => outcome.topHighlight.toLowerCase().includes(answer.toLowerCase()))).length,
      withAnswers.length,
    ),
    answerableAnswered: rate(answerable.filter((outcome) => !outcome.abstained).length, answerable.length),
    unanswerableDeclined: declined(unanswerable),
    declinedByKind: Object.fromEntries([...kinds].map(([kind, items]) => [kind, declined(items)])),
    passagesPerAnswer: answers.length === 0 ? 0 : shown.length / answers.length,
    shownRelevant: rate(shown.filter((label) => label === 1).length, shown.length),
  };
}
