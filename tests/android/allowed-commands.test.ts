import type { AndroidStatus } from '@ish/contracts';
import { appEnv, testSecrets } from '../support/env';
import { api, signUp } from '../support/http';

describe('GET /api/v1/android/status', () => {
  it('lists the commands of ANDROID_ALLOWED_COMMANDS, in order, to anyone who may read devices', async () => {
    const configured = appEnv().ANDROID_ALLOWED_COMMANDS.split(',');
    const admin = await api<AndroidStatus>('GET', '/api/v1/android/status', { token: testSecrets().adminApiKey });
    expect(admin.status).toBe(200);
    expect(admin.body.allowedCommands).toEqual(configured);
    // a plain user holds android:read
    const user = await signUp('allowed-commands');
    expect((await api<AndroidStatus>('GET', '/api/v1/android/status', { token: user.accessToken })).body.allowedCommands).toEqual(configured);
  });
});
