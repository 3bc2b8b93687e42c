import { vtnCase } from './scenarios/common.js';
import { emptyDistribute } from './scenarios/events.js';

export default vtnCase({
  id: 'E0_6010_TH_VEN', delivery: 'push',
  title: 'VTN Event - Empty',
  requirement: 'With no event for the VEN, oadrRequestEvent is answered with an oadrDistributeEvent 200 holding no event.',
  run: emptyDistribute,
});
