import { venCase } from './scenarios/common.js';
import { vtnReporting } from './scenarios/reports.js';

export default venCase({
  id: 'R0_8120_TH_VTN', delivery: 'push',
  title: 'VTN Reporting - piggy back request',
  requirement: 'The VEN asks for a VTN report in its oadrRegisteredReport (optional).',
  run: vtnReporting,
});
