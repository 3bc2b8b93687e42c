import { venCase } from './scenarios/common.js';
import { emptyDistribute } from './scenarios/events.js';

export default venCase({
  id: 'E1_1010_TH_VTN', delivery: 'pull',
  title: 'VTN Event - Empty',
  requirement: 'An oadrDistributeEvent without events gets no oadrCreatedEvent, and the VEN carries on.',
  run: emptyDistribute,
});
