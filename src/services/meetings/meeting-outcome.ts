/** What a meeting step made of a lesson's meeting: its provider and id, and what the workflow records. */
export interface MeetingOutcome {
  provider: 'zoom' | 'daily';
  meetingId: string;
  /** Why Zoom was not used although the tutor had connected it. */
  zoomFallbackReason?: string;
  /**
   * The version the booking announces and continues from: the row's, one more for a lesson booked
   * again after its workflow failed (see LessonsStore.claimForRun).
   */
  version?: number;
  /** The row's times, which such a lesson may have moved to since its booking (ISO). */
  startsAt?: string;
  endsAt?: string;
}
