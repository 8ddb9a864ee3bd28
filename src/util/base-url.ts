/** A base URL without its trailing slashes, so `${base}/path` never doubles them. */
export const trimBaseUrl = (url: string): string => url.replace(/\/+$/, '');
