import { venCase } from './scenarios/common.js';
import { samePayloadMultiple } from './scenarios/reports.js';

export default venCase({
  id: 'R1_3180_TH_VTN', delivery: 'pull',
  title: 'VEN Reporting - Same Payload, Multiple Requests and Updates',
  requirement: 'Two periodic requests in one payload both get reports, again and again.',
  run: samePayloadMultiple,
});
