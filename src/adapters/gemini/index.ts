export { createGeminiChatModel, type GeminiChatModelOptions } from './chat-model.js';
export type { GeminiCallInfo } from './runner.js';
