export { VtnService, errorResponse, serviceFor } from './vtn-service.js';
export { targetMatches } from './targeting.js';
export { OperatorService, type EventInput, type SignalInput, type TargetInput } from './operator-service.js';
export { venIdFromCertificate, sameVenId, type RequestContext, type ServiceDeps, type ServicePolicy } from './context.js';
export { statusAt } from './event-status.js';
export { eventParticipation, type Participation } from './participation.js';
