export * from './anthropic-errors';
export * from './messages-request';
export * from './validate-messages-request';
export * from './messages-to-openai';
export * from './openai-to-messages';
export * from './messages-stream';
export * from './count-message-tokens';
export * from './raw-body-field';
