/**
 * The small, hand-kept vocabulary that query understanding (knowledge-query.ts) uses to read what
 * a seat lawyer types into the knowledge search: the function words dropped from a phrase, the
 * words those must not be cut out of, and the colloquial phrasings mapped to the knowledge base's
 * own terms. Everything here is data; add to it when searches that should succeed do not.
 */

/**
 * Function words, pronouns and question tails dropped from a Chinese phrase: 被打了 → 被打,
 * 欠我工资怎么办 → 欠工资. Longer ones are removed first. 被 is deliberately not here: 被打, 被骗
 * and 被辞退 are what the caller suffered.
 */
export const STOPWORDS: readonly string[] = [
  // question tails and question words
  '该怎么办',
  '怎么办',
  '怎么样',
  '怎么弄',
  '怎么处理',
  '怎么回事',
  '怎么',
  '咋办',
  '如何',
  '请问',
  '为什么',
  '什么',
  '是不是',
  '能不能',
  '可不可以',
  '可以吗',
  '有没有',
  '应该',
  '一下',
  // pronouns
  '我们',
  '你们',
  '他们',
  '她们',
  '我',
  '你',
  '他',
  '她',
  '它',
  // particles
  '的',
  '了',
  '吗',
  '呢',
  '吧',
  '啊',
  '呀',
  '嘛',
  '哦',
  '么',
  '咋',
];

/**
 * Words that contain a stopword and must stay whole (其他 is not 其 + 他; 怎么办理 keeps 办理). Not
 * 除了 or 为了: 开除了 and 成为了 end in the particle.
 */
export const PROTECTED_WORDS: readonly string[] = ['其他', '他人', '了解', '了结', '目的', '的确', '我国', '自我', '办理', '处理'];

/**
 * Colloquial phrasings and the knowledge base's terms they stand for. A query containing any
 * phrase of `from` (after the function words are dropped) is searched for that phrase or any of
 * the `to` terms; the `to` terms typed themselves are searched as they are. Chosen from the
 * starter set's keywords and questions (server/src/seed/knowledge-entries.ts).
 */
export const SYNONYMS: readonly { to: readonly string[]; from: readonly string[] }[] = [
  {
    to: ['欠薪', '拖欠工资'],
    from: [
      '欠工资',
      '不发工资',
      '没发工资',
      '不给工资',
      '工资不给',
      '工资不发',
      '拖工资',
      '扣工资',
      '克扣工资',
      '讨工资',
      '要工资',
      '欠薪水',
      '拿不到工资',
      '工资没发',
    ],
  },
  { to: ['被打', '故意伤害'], from: ['挨打', '打人', '被人打', '被打伤', '打伤', '被殴打', '殴打', '动手打'] },
  { to: ['家庭暴力', '家暴'], from: ['老公打', '丈夫打', '老婆打', '妻子打', '家里打'] },
  { to: ['借钱不还', '欠款'], from: ['欠钱', '欠钱不还', '不还钱', '借钱', '借款不还', '欠债'] },
  { to: ['辞退', '违法解除'], from: ['开除', '被开除', '炒鱿鱼', '解雇', '被解雇', '裁员', '被裁'] },
  { to: ['社保', '社会保险'], from: ['五险一金', '五险', '不交社保', '没交社保', '不缴社保'] },
  { to: ['交通事故'], from: ['车祸', '出车祸', '被车撞', '撞车', '被撞'] },
  { to: ['工伤'], from: ['上班受伤', '干活受伤', '工作受伤'] },
  { to: ['诈骗'], from: ['被骗', '骗钱', '上当受骗'] },
  { to: ['退货', '质量问题'], from: ['退不了货', '不给退', '不退货', '假货'] },
  { to: ['押金'], from: ['不退押金', '押金不退'] },
  { to: ['法律援助'], from: ['免费律师', '请不起律师', '没钱请律师', '法援'] },
  { to: ['强制执行', '老赖'], from: ['判了不给钱', '不执行', '执行不了'] },
  { to: ['遗产', '继承'], from: ['分遗产', '遗产分配', '继承房子'] },
  { to: ['赡养'], from: ['不养老人', '不管老人', '养老费'] },
];
