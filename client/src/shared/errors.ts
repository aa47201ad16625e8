import type { ApiError, ErrorCode } from '../contract';

const FALLBACK: Record<ErrorCode, string> = {
  VALIDATION: '输入有误,请检查后重试',
  UNAUTHENTICATED: '登录已失效,请重新登录',
  FORBIDDEN: '没有权限执行该操作',
  NOT_FOUND: '未找到相关记录',
  INVALID_TRANSITION: '当前状态下不能执行该操作',
  CONFLICT: '操作与当前状态冲突',
  RATE_LIMITED: '操作过于频繁,请稍后再试',
  UNAVAILABLE: '路由服务正在恢复,请稍候',
  STORAGE_FULL: '存储空间已满,暂停受理新业务',
  INTERNAL: '服务器暂时不可用,请稍后再试',
};

const HAS_CJK = /[\u3400-\u9fff]/;

/**
 * The server's sentence when it sent one. Domain errors may still be English developer text;
 * then a zh-CN line for the code leads and the server's sentence follows as the detail.
 */
export function errorMessage(error: ApiError): string {
  const text = error.message.trim();
  const fallback = FALLBACK[error.code] ?? FALLBACK.INTERNAL;
  if (!text) return fallback;
  return HAS_CJK.test(text) ? text : `${fallback}(${text})`;
}

export function fallbackMessage(code: ErrorCode): string {
  return FALLBACK[code];
}

export const NETWORK_ERROR: ApiError = { code: 'INTERNAL', message: '无法连接服务器,请检查网络后重试' };
export const TIMEOUT_ERROR: ApiError = { code: 'INTERNAL', message: '服务器响应超时,请稍后重试' };
export const DISCONNECTED_ERROR: ApiError = { code: 'INTERNAL', message: '与服务器的连接已断开,正在重新连接…' };
