import { vtnCase } from './scenarios/common.js';
import { piggyBackRequest } from './scenarios/reports.js';

export default vtnCase({
  id: 'R1_3060_TH_VEN', delivery: 'pull',
  title: 'VEN Reporting - piggy back request',
  requirement: 'A report request piggy-backed on oadrRegisteredReport is accepted by the VEN (oadrCreatedReport 200) and its report is answered 200 (optional for a VTN).',
  run: piggyBackRequest,
});
