import { request } from '@playwright/test';
import { baseURL } from './playwright.config';

/**
 * Most specs are about calls, not signing in: their agents are Idle once their softphone registers,
 * as an administrator may choose. desk.spec.ts covers the Offline default and puts this back.
 */
export default async function globalSetup(): Promise<void> {
  const admin = await request.newContext({ baseURL });
  try {
    const login = await admin.post('/api/auth/login', { data: { username: 'admin', password: 'admin' } });
    if (!login.ok()) throw new Error(`admin sign-in failed: ${login.status()} ${await login.text()}`);
    const res = await admin.put('/api/admin/settings', {
      data: { agentSignIn: { status: 'idle', reason: null } },
    });
    if (!res.ok()) throw new Error(`setting the sign-in state failed: ${res.status()} ${await res.text()}`);
  } finally {
    await admin.dispose();
  }
}
