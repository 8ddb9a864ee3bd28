/** hasReachedMaxReconnectionAttempts() from the seed (step 5): at MAX_RECONNECTION_ATTEMPTS the token is deleted. */
export function hasReachedMaxReconnectionAttempts(attempts: number, maxAttempts: number): boolean {
  return attempts >= maxAttempts;
}
