/**
 * A hand-written question set with gold line spans (test/fixtures/seed-questions.json), and the
 * measurements taken on it: Recall@k, MRR and the similarity of the best passage, which is what
 * the abstention threshold is calibrated on.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Engine, Hit, SearchMode, SourceSpan } from '../core/types.ts';

const spanSchema = z.object({ file: z.string(), startLine: z.number().int().positive(), endLine: z.number().int().positive() });

export const questionSetSchema = z.object({
  answerable: z.array(z.object({ question: z.string().min(1), gold: z.array(spanSchema).min(1), answer: z.string() })).min(1),
  unanswerable: z.array(z.object({ question: z.string().min(1) })).min(1),
});

export type QuestionSet = z.infer<typeof questionSetSchema>;

export async function loadQuestionSet(file: string): Promise<QuestionSet> {
  return questionSetSchema.parse(JSON.parse(await readFile(file, 'utf8')));
}

const sameSpan = (a: SourceSpan, b: SourceSpan) => a.file === b.file && a.startLine === b.startLine && a.endLine === b.endLine;

/** A result counts for a gold span when it, or a place listed with it (same text or similar wording), overlaps the gold lines. */
const overlaps = (a: SourceSpan, b: SourceSpan) => a.file === b.file && a.startLine <= b.endLine && b.startLine <= a.endLine;

export interface AnswerableOutcome {
  readonly question: string;
  /** 1-based rank of the first result citing a gold span; null when none of the results does. */
  readonly rank: number | null;
  readonly bestSimilarity: number;
  readonly abstained: boolean;
}

export interface UnanswerableOutcome {
  readonly question: string;
  readonly bestSimilarity: number;
  readonly abstained: boolean;
}

export interface QuestionSetReport {
  readonly k: number;
  readonly recallAtK: number;
  readonly mrr: number;
  readonly answerable: readonly AnswerableOutcome[];
  readonly unanswerable: readonly UnanswerableOutcome[];
  /** Share of answerable questions answered (not abstained) and of unanswerable ones abstained on. */
  readonly answeredRate: number;
  readonly abstainedRate: number;
  /**
   * What a user is shown (the engine's show rule, not `explain`): passages per answered answerable
   * question, and the share of them that cite a gold span (a lower bound on their relevance: a gold
   * span is the smallest unit that answers, so a neighbouring passage counts as not relevant).
   */
  readonly shownPerAnswer: number;
  readonly shownOnGold: number;
}

export async function evaluateQuestionSet(engine: Engine, set: QuestionSet, k: number, mode: SearchMode = 'hybrid'): Promise<QuestionSetReport> {
  const answerable: AnswerableOutcome[] = [];
  let shown = 0;
  let shownOnGold = 0;
  for (const item of set.answerable) {
    const citesGold = (hit: Hit) => [hit, ...hit.alsoIn, ...hit.similarIn].some((span) => item.gold.some((gold) => sameSpan(span, gold) || overlaps(span, gold)));
    const result = await engine.search(item.question, { k, mode, explain: true });
    const index = result.hits.findIndex(citesGold);
    answerable.push({ question: item.question, rank: index === -1 ? null : index + 1, bestSimilarity: result.bestSimilarity, abstained: result.abstained });
    if (!result.abstained) {
      const { hits } = await engine.search(item.question, { k, mode });
      shown += hits.length;
      shownOnGold += hits.filter(citesGold).length;
    }
  }
  const unanswerable: UnanswerableOutcome[] = [];
  for (const item of set.unanswerable) {
    const result = await engine.search(item.question, { k, mode });
    unanswerable.push({ question: item.question, bestSimilarity: result.bestSimilarity, abstained: result.abstained });
  }
  const share = (count: number, total: number) => (total === 0 ? 0 : count / total);
  return {
    k,
    recallAtK: share(answerable.filter((outcome) => outcome.rank !== null).length, answerable.length),
    mrr: answerable.reduce((sum, outcome) => sum + (outcome.rank === null ? 0 : 1 / outcome.rank), 0) / answerable.length,
    answerable,
    unanswerable,
    answeredRate: share(answerable.filter((outcome) => !outcome.abstained).length, answerable.length),
    abstainedRate: share(unanswerable.filter((outcome) => outcome.abstained).length, unanswerable.length),
    shownPerAnswer: share(shown, answerable.filter((outcome) => !outcome.abstained).length),
    shownOnGold: share(shownOnGold, shown),
  };
}

/**
 * The threshold that best separates answerable from unanswerable questions by best-passage
 * similarity: it maximises balanced accuracy, and among equally good cut points takes the middle
 * of the widest gap so that it generalises rather than hugging one side.
 */
export function calibrateThreshold(answerableSimilarities: readonly number[], unanswerableSimilarities: readonly number[]): { threshold: number; balancedAccuracy: number } {
  const points = [...answerableSimilarities, ...unanswerableSimilarities].sort((a, b) => a - b);
  let best = { threshold: 0, balancedAccuracy: -1, gap: -1 };
  for (let i = 0; i <= points.length; i++) {
    const low = i === 0 ? (points[0] as number) - 0.05 : (points[i - 1] as number);
    const high = i === points.length ? (points.at(-1) as number) + 0.05 : (points[i] as number);
    const threshold = (low + high) / 2;
    const answered = answerableSimilarities.filter((s) => s >= threshold).length / answerableSimilarities.length;
    const abstained = unanswerableSimilarities.filter((s) => s < threshold).length / unanswerableSimilarities.length;
    const balancedAccuracy = (answered + abstained) / 2;
    const gap = high - low;
    if (balancedAccuracy > best.balancedAccuracy + 1e-12 || (Math.abs(balancedAccuracy - best.balancedAccuracy) <= 1e-12 && gap > best.gap)) {
      best = { threshold, balancedAccuracy, gap };
    }
  }
  return { threshold: best.threshold, balancedAccuracy: best.balancedAccuracy };
}
