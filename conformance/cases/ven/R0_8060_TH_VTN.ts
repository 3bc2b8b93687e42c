import { venCase } from './scenarios/common.js';
import { piggyBackRequest } from './scenarios/reports.js';

export default venCase({
  id: 'R0_8060_TH_VTN', delivery: 'push',
  title: 'VEN Reporting - piggy back request',
  requirement: 'A report request in the VTN\'s oadrRegisteredReport is accepted (oadrCreatedReport) and reported.',
  run: piggyBackRequest,
});
