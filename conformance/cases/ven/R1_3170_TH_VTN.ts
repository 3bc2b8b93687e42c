import { venCase } from './scenarios/common.js';
import { metadata } from './scenarios/reports.js';

export default venCase({
  id: 'R1_3170_TH_VTN', delivery: 'pull',
  title: 'VEN Reporting - Metadata Report Request',
  requirement: 'A request for METADATA is accepted and the VEN registers its reports again (oadrRegisterReport).',
  run: metadata,
});
