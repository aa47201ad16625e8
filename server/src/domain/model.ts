import { z } from 'zod';

/** Specialties (专业领域). `general` is 综合咨询: every seat may be given it. */
export const CategorySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and dashes'),
  name: z.string().min(1).max(40),
  /** IVR menu digits that select this category after 12348 (e.g. "3" for 123483). */
  ivrCodes: z.array(z.string().regex(/^[0-9]{1,4}$/)).default([]),
  general: z.boolean().default(false),
});
export type Category = z.infer<typeof CategorySchema>;

export const CentreSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  name: z.string().min(1).max(60),
  level: z.enum(['city', 'county']),
});
export type Centre = z.infer<typeof CentreSchema>;

export const ProficiencySchema = z
  .number({ error: '熟练度须为 1–5 的整数' })
  .int('熟练度须为 1–5 的整数')
  .min(1, '熟练度须为 1–5 的整数')
  .max(5, '熟练度须为 1–5 的整数');

export const SeatProfileSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, '坐席编号只能用字母、数字、下划线和连字符(1–40 个字符)'),
  name: z.string({ error: '请填写坐席姓名' }).trim().min(1, '请填写坐席姓名').max(40, '坐席姓名不能超过 40 个字符'),
  staffNo: z.string({ error: '请填写工号' }).trim().min(1, '请填写工号').max(20, '工号不能超过 20 个字符'),
  centreId: z.string({ error: '请选择所属中心' }),
  /** category id → proficiency 1 (can take it) .. 5 (expert). */
  skills: z.record(z.string(), ProficiencySchema),
  languages: z.array(z.string().min(2, '语言代码为 2–10 个字母(如 zh、en)').max(10, '语言代码为 2–10 个字母(如 zh、en)')).default(['zh']),
});
export type SeatProfile = z.infer<typeof SeatProfileSchema>;

export const DEFAULT_CATEGORIES: Category[] = [
  { id: 'marriage-family', name: '婚姻家庭与继承', ivrCodes: ['1'], general: false },
  { id: 'labor', name: '劳动与社会保障', ivrCodes: ['2'], general: false },
  { id: 'contract-debt', name: '合同与债务', ivrCodes: ['3'], general: false },
  { id: 'property-land', name: '房产与土地', ivrCodes: ['4'], general: false },
  { id: 'traffic-injury', name: '交通事故与人身损害', ivrCodes: ['5'], general: false },
  { id: 'medical', name: '医疗纠纷', ivrCodes: ['6'], general: false },
  { id: 'consumer', name: '消费者权益', ivrCodes: ['7'], general: false },
  { id: 'criminal', name: '刑事', ivrCodes: ['8'], general: false },
  { id: 'administrative', name: '行政(复议/诉讼)', ivrCodes: ['9'], general: false },
  { id: 'company', name: '公司与经济', ivrCodes: ['10'], general: false },
  { id: 'legal-aid', name: '法律援助', ivrCodes: ['11'], general: false },
  { id: 'mediation', name: '人民调解', ivrCodes: ['12'], general: false },
  { id: 'notary', name: '公证', ivrCodes: ['13'], general: false },
  { id: 'forensic', name: '司法鉴定', ivrCodes: ['14'], general: false },
  { id: 'foreign', name: '涉外与外语', ivrCodes: ['15'], general: false },
  { id: 'complaint', name: '投诉建议', ivrCodes: ['16'], general: false },
  { id: 'general', name: '综合咨询', ivrCodes: ['0'], general: true },
];

/** Not-ready reasons (小休/示忙) and caller flags (X-Caller-Flags) are named once, in the vocabulary. */
export { NOT_READY_REASONS, type NotReadyReason } from '../vocabulary/not-ready-reasons.js';
export { CALLER_FLAGS, type CallerFlag } from '../vocabulary/caller-flags.js';
