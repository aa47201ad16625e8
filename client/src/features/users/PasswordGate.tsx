import { useEffect, useState } from 'react';
import { accounts } from '../../app/root';
import { useAppStore } from '../../app/store';
import { PasswordDialog } from './PasswordDialog';

const WHY = {
  reset: '您正在使用一次性密码(新账号或管理员重置),请先设置自己的密码。',
  expired: '您的密码已过期,请设置新密码。',
} as const;

/** After sign-in: a one-time or expired password must be changed before the console can be used. */
export function PasswordGate() {
  const userId = useAppStore((s) => s.user?.id ?? null);
  const [why, setWhy] = useState<string | null>(null);
  useEffect(() => {
    if (userId === null) return;
    let live = true;
    void accounts.passwordStatus().then((r) => {
      if (live && r.ok && r.data.mustChange && r.data.reason) setWhy(WHY[r.data.reason]);
    });
    return () => {
      live = false;
    };
  }, [userId]);
  if (!why) return null;
  return <PasswordDialog forced={why} onDone={() => window.location.reload()} />;
}
