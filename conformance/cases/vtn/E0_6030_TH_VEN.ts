import { vtnCase } from './scenarios/common.js';
import { twoSequences } from './scenarios/events.js';

export default vtnCase({
  id: 'E0_6030_TH_VEN', delivery: 'push', needs: ['issueEvent', 'modifyEvent'],
  title: 'VTN Event - Two Dist Event Sequences',
  requirement: 'A new event and then its modification reach the VEN as two distribute sequences: same eventID, modificationNumber 0 then 1, the new values, createdDateTime kept; both answers are accepted.',
  run: twoSequences,
});
