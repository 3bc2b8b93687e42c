import { venCase } from './scenarios/common.js';
import { reportNegative } from './scenarios/reports.js';

export default venCase({
  id: 'R1_3190_TH_VTN', delivery: 'pull',
  title: 'VEN Reporting - Negative Test Scenarios',
  requirement: 'A request for a report the VEN never offered is refused with a 4xx code and is not pending.',
  run: reportNegative,
});
