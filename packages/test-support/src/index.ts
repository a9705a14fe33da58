export { freeMediaPorts, freePort, freeRange, freeUdpRange } from './ports';
export { runSipp, SIPP, type SippProcess, type StartSippOptions, startSipp, tcpReady } from './sipp';
