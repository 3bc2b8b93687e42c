import { vtnCase } from './scenarios/common.js';
import { samePayloadMultiple } from './scenarios/reports.js';

export default vtnCase({
  id: 'R1_3180_TH_VEN', delivery: 'pull', needs: ['requestReports'],
  title: 'VEN Reporting - Same Payload, Multiple Requests and Updates',
  requirement: 'Two requests in one payload; each of two oadrUpdateReport payloads carries a report for both and is answered 200.',
  run: samePayloadMultiple,
});
