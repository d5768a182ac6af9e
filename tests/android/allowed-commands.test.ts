import type { AndroidStatus } from '@ish/contracts';
import { appEnv, testSecrets, api, signUp, signUpOperator } from '@ish/test-support';

describe('GET /api/v1/android/status', () => {
  it('lists the commands of ANDROID_ALLOWED_COMMANDS, in order, to anyone who may read devices (operators and admins)', async () => {
    const configured = appEnv().ANDROID_ALLOWED_COMMANDS.split(',');
    const admin = await api<AndroidStatus>('GET', '/api/v1/android/status', { token: testSecrets().adminApiKey });
    expect(admin.status).toBe(200);
    expect(admin.body.allowedCommands).toEqual(configured);
    // an operator holds android:read; a plain user does not
    const operator = await signUpOperator('allowed-commands');
    expect((await api<AndroidStatus>('GET', '/api/v1/android/status', { token: operator.accessToken })).body.allowedCommands).toEqual(configured);
    const user = await signUp('allowed-commands-user');
    expect((await api('GET', '/api/v1/android/status', { token: user.accessToken })).status).toBe(403);
  });
});
