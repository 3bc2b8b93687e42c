import { vtnCase } from './scenarios/common.js';
import { dispatchEvent } from './scenarios/events.js';

export default vtnCase({
  id: 'E1_1025_TH_VEN', delivery: 'pull', needs: ['issueEvent'],
  title: 'VTN Event - Load Dispatch Event',
  requirement: 'A LOAD_DISPATCH (setpoint) event reaches the VEN and its optIn is answered 200.',
  run: dispatchEvent,
});
