import { useEffect, useState } from 'react';
import { accounts } from './root';

/** 演示环境: shown on every page while the server runs in demo mode (public demo passwords). */
export function DemoBanner() {
  const [demo, setDemo] = useState(false);
  useEffect(() => {
    let live = true;
    void accounts.deployment().then((r) => {
      if (live && r.ok) setDemo(r.data.mode === 'demo');
    });
    return () => {
      live = false;
    };
  }, []);
  if (!demo) return null;
  return (
    <div className="demo-banner" role="note">
      演示环境:演示账号的密码是公开的,请勿录入真实来电人信息
    </div>
  );
}
