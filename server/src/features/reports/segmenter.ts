import { createRequire } from 'node:module';
import type { Segmenter } from '../../domain/stats/trends.js';

interface JiebaLike {
  cut(text: string, hmm?: boolean): string[];
}

let jieba: JiebaLike | null = null;

/**
 * Chinese word segmentation with @node-rs/jieba (jieba's dictionary, prebuilt native binaries
 * for Linux x64/arm64, macOS and Windows), loaded on first use: its dictionary takes a moment
 * and some memory, which a server that never asks for trends does not need.
 */
export const segment: Segmenter = (text) => {
  if (!jieba) {
    const require = createRequire(import.meta.url);
    const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(dict: Uint8Array): JiebaLike } };
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    jieba = Jieba.withDict(dict);
  }
  return jieba.cut(text, true);
};

/**
 * Words that say nothing about a summary's topic: the hotline's own vocabulary, function words,
 * and the phrasing of questions and answers. A domain list, meant to grow with use.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `来电 来电人 咨询 询问 请问 问题 情况 怎么 怎么办 如何 什么 是否 可以 能否 能不能 应该 需要 已经 告知 建议 解答 回答 答复
   表示 认为 进行 相关 有关 关于 根据 依法 依据 按照 规定 法律 法规 可能 或者 以及 并且 但是 因为 所以 如果 没有 不能
   一个 这个 那个 他们 我们 你们 自己 对方 本人 家人 现在 之前 之后 时候 目前 今天 昨天 一直 还是 就是 不是 这样 那样
   要求 希望 想要 知道 了解 处理 办理 申请 提供 联系 电话 热线 律师 坐席 工作人员 单位 部门`
    .split(/\s+/)
    .filter(Boolean),
);
