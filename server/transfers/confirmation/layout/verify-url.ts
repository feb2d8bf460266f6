/** The public verification URL of a confirmation (api.md: GET /api/confirmations/:number/verify). */
export function confirmationVerifyUrl(baseUrl: string, confirmationNumber: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/confirmations/${encodeURIComponent(confirmationNumber)}/verify`;
}
