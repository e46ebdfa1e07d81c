// What a test can observe about one session without looking at its frames.

export interface SessionCounters {
  /** Frames read from the client's websocket (before faults), any type. */
  framesIn: number;
  /** Frames written to the client's websocket (after faults), any type, resends included. */
  framesOut: number;
  acksSent: number;
  acksReceived: number;
  /** Client stream messages received again after they were accepted (acknowledged again,
   * unless `withholdAcks`). */
  duplicatesReacked: number;
  /** Client stream messages left unacknowledged because the plugin was not ready for them. */
  refusedNotReady: number;
  /** output_stream_data sent again: on the retransmission timeout or after a reconnect. */
  resends: number;
  /** input_stream_data whose digest did not match (the agent never checks; we only count). */
  badDigestsIn: number;
  /** Frames the fault layer dropped, per direction. */
  droppedIn: number;
  droppedOut: number;
  /** Websocket connections accepted for this session (1 + reconnects). */
  connections: number;
  bytesToDestination: number;
  bytesFromDestination: number;
}

export function newCounters(): SessionCounters {
  return {
    framesIn: 0,
    framesOut: 0,
    acksSent: 0,
    acksReceived: 0,
    duplicatesReacked: 0,
    refusedNotReady: 0,
    resends: 0,
    badDigestsIn: 0,
    droppedIn: 0,
    droppedOut: 0,
    connections: 0,
    bytesToDestination: 0,
    bytesFromDestination: 0,
  };
}
