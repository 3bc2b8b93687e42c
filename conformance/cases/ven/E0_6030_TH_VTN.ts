import { venCase } from './scenarios/common.js';
import { twoSequences } from './scenarios/events.js';

export default venCase({
  id: 'E0_6030_TH_VTN', delivery: 'push',
  title: 'VTN Event - Two Dist Event Sequences',
  requirement: 'A new event and then its modification (modificationNumber 1) are each answered for their version.',
  run: twoSequences,
});
