import { venCase } from './scenarios/common.js';
import { emptyDistribute } from './scenarios/events.js';

export default venCase({
  id: 'E0_6010_TH_VTN', delivery: 'push',
  title: 'VTN Event - Empty',
  requirement: 'An oadrDistributeEvent without events gets no oadrCreatedEvent, and the VEN carries on.',
  run: emptyDistribute,
});
