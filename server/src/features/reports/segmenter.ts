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
 * Words that say nothing about a summary's topic, left out of the trends (legal terms such as 欠薪,
 * 工伤, 离婚, 宅基地, 法律援助 stay in). A domain list, meant to grow with use:
 * - summary boilerplate: how seats write every summary (来电人咨询…, 已告知…, 建议…, 可向…);
 * - the hotline's own vocabulary, said of every call (热线, 坐席, 律师, 法律, 申请, 处理…);
 * - Chinese function words: pronouns, conjunctions, prepositions, adverbs, modal and linking verbs,
 *   demonstratives and time words (作为, 只有, 通过, 其他, 一些…).
 * Numbers and quantities (三个月, 二十名, 第一) are left out by the domain (domain/stats/trends.ts).
 */
const BOILERPLATE = `来电 来电人 来电者 当事人 咨询 询问 请问 问题 情况 事情 事宜 怎么 怎么办 怎样 如何 什么 为什么 是否 可否
  可以 能否 能不能 可不可以 应该 应当 需要 必须 已经 告知 已告知 建议 解答 回答 答复 表示 认为 反映 称其 进行 相关 有关 关于
  根据 依法 依据 按照 规定 法律 法规 可能 要求 希望 想要 想问 知道 了解 处理 办理 申请 提供 联系 电话 热线 律师 坐席
  工作人员 单位 部门 方面 问一下 一下 可向 可依 可由 应经 可诉讼 不成 不了 不能 没有 不是 就是 还是 只是 而是 并非 原则上 视为 不受 内向`;

const FUNCTION_WORDS = `一个 这个 那个 这些 那些 这样 那样 这种 那种 这里 那里 哪里 哪些 一些 有些 某些 每个 各个 各种 其他 其它 其余
  其中 其间 他们 我们 你们 她们 它们 自己 对方 本人 家人 大家 人家 别人 他人 之前 之后 以前 以后 以上 以下 以内 之间 之中
  之日起 之内 之外 当中 当时 现在 目前 今天 昨天 明天 前天 后来 时候 时间 期间 一直 一起 一般 一定 一切 一方 一次 一再 已然
  作为 只有 只要 只能 只好 只是 不仅 不但 而且 并且 或者 或是 以及 以便 以免 但是 可是 然而 不过 因为 所以 因此 由于 如果
  假如 如若 即使 虽然 尽管 既然 无论 不管 除了 通过 经过 对于 至于 为了 按时 随着 关于 依照 有没有 是不是 会不会 要不要
  另外 此外 同时 然后 接着 于是 从而 进而 甚至 并不 已 仍然 仍旧 还有 还要 还会 还能 就会 就要 就能 也是 也有 也要 都是
  都有 都要 又是 非常 特别 比较 十分 更加 很多 许多 不少 多次 多少 一点 有点 一样 同样 这么 那么 怎么样 任何 所有 全部
  部分 主要 基本 其实 确实 真的 的确 当然 总是 经常 往往 突然 马上 立即 尽快 及时 直接 自行 如何处理 是否可以 可以吗 能够
  会有 会被 被告知 得到 进行了 出现 发生 存在 具有 属于 涉及 包括 成为 变成 造成 导致 产生 称要 准备 打算 表明 符合`;

export const STOP_WORDS: ReadonlySet<string> = new Set(`${BOILERPLATE} ${FUNCTION_WORDS}`.split(/\s+/).filter(Boolean));
