import { venCase } from './scenarios/common.js';
import { vtnReporting } from './scenarios/reports.js';

export default venCase({
  id: 'R1_3120_TH_VTN', delivery: 'pull',
  title: 'VTN Reporting - piggy back request',
  requirement: 'The VEN asks for a VTN report in its oadrRegisteredReport (optional).',
  run: vtnReporting,
});
