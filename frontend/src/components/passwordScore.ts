// zxcvbn-ts with the common and English dictionaries, loaded on first use (they are large) and built once.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

const factory = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...english.dictionary },
  graphs: common.adjacencyGraphs,
  translations: english.translations,
});

export interface Strength {
  /** 0 (guessed in moments) … 4 (very hard to guess). */
  score: 0 | 1 | 2 | 3 | 4;
  warning: string | null;
  suggestions: string[];
}

export function scorePassword(password: string, userInputs: string[]): Strength {
  const result = factory.check(password.slice(0, 256), userInputs.filter(Boolean));
  return { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions };
}
