import { vtnCase } from './scenarios/common.js';
import { requestEvent } from './scenarios/events.js';

export default vtnCase({
  id: 'E0_6050_TH_VEN', delivery: 'push', needs: ['issueEvent'],
  title: 'VEN Event - Use of oadrRequestEvent',
  requirement: 'oadrRequestEvent returns an oadrDistributeEvent with the VEN\'s events, requestID and vtnID.',
  run: requestEvent,
});
