/** Calling the model (circuit breaker, retries, metrics): shared by the chat, history and media use cases. */
export * from './model-caller.js';
