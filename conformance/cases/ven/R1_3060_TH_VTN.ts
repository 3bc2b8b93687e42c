import { venCase } from './scenarios/common.js';
import { piggyBackRequest } from './scenarios/reports.js';

export default venCase({
  id: 'R1_3060_TH_VTN', delivery: 'pull',
  title: 'VEN Reporting - piggy back request',
  requirement: 'A report request in the VTN\'s oadrRegisteredReport is accepted (oadrCreatedReport) and reported.',
  run: piggyBackRequest,
});
