/**
 * Real npm typosquats from public reports, with the package each imitated. `targets` lists every name that
 * counts as the right answer (a scope squat imitates the whole scope).
 *
 * Sources: npm's August 2017 "hacktask" takedown (crossenv and 37 siblings; Lift Security and Duo write-ups,
 * Scott Logic "Hunting typosquatters on npm", 2018); Sonatype 2019-2021 (electorn, twilio-npm, discord.dll);
 * JFrog March 2022 (200+ unscoped copies of @azure/* packages); Phylum/Checkmarx November 2024 (puppeteer
 * look-alikes with an Ethereum-contract C2); Socket December 2024 (types-node, @typescript_eslinter/eslint);
 * Datadog Security Labs 2024 (passports-js, bcrypts); Koi Security / Snyk September 2025 (postmark-mcp).
 */
export interface HistoricalTyposquat {
  name: string;
  targets: string[];
  /** The public report it comes from. */
  reported: string;
}

const hacktask = 'npm hacktask takedown, August 2017';

export const HISTORICAL_TYPOSQUATS: readonly HistoricalTyposquat[] = [
  { name: 'crossenv', targets: ['cross-env'], reported: hacktask },
  { name: 'cross-env.js', targets: ['cross-env'], reported: hacktask },
  { name: 'mongose', targets: ['mongoose'], reported: hacktask },
  { name: 'jquery.js', targets: ['jquery'], reported: hacktask },
  { name: 'd3.js', targets: ['d3'], reported: hacktask },
  { name: 'gruntcli', targets: ['grunt-cli'], reported: hacktask },
  { name: 'http-proxy.js', targets: ['http-proxy'], reported: hacktask },
  { name: 'mssql.js', targets: ['mssql'], reported: hacktask },
  { name: 'mssql-node', targets: ['mssql'], reported: hacktask },
  { name: 'mysqljs', targets: ['mysql'], reported: hacktask },
  { name: 'nodemailer-js', targets: ['nodemailer'], reported: hacktask },
  { name: 'nodemailer.js', targets: ['nodemailer'], reported: hacktask },
  { name: 'nodemssql', targets: ['mssql'], reported: hacktask },
  { name: 'noderequest', targets: ['request'], reported: hacktask },
  { name: 'nodesass', targets: ['node-sass'], reported: hacktask },
  // babel-cli has left the top 10,000; its successor @babel/cli is what the name imitates today.
  { name: 'babelcli', targets: ['babel-cli', '@babel/cli'], reported: hacktask },
  { name: 'fabric-js', targets: ['fabric'], reported: hacktask },
  { name: 'node-fabric', targets: ['fabric'], reported: hacktask },
  { name: 'nodefabric', targets: ['fabric'], reported: hacktask },
  { name: 'electorn', targets: ['electron'], reported: 'Sonatype, 2019' },
  { name: 'twilio-npm', targets: ['twilio'], reported: 'Sonatype, November 2020' },
  { name: 'discord.dll', targets: ['discord.js'], reported: 'Sonatype, January 2021' },
  { name: 'core-tracing', targets: ['@azure/core-tracing'], reported: 'JFrog, March 2022' },
  { name: 'core-http', targets: ['@azure/core-http'], reported: 'JFrog, March 2022' },
  { name: 'core-rest-pipeline', targets: ['@azure/core-rest-pipeline'], reported: 'JFrog, March 2022' },
  { name: 'core-lro', targets: ['@azure/core-lro'], reported: 'JFrog, March 2022' },
  { name: 'pupeter', targets: ['puppeteer'], reported: 'Phylum / Checkmarx, November 2024' },
  { name: 'puppeter', targets: ['puppeteer'], reported: 'Phylum / Checkmarx, November 2024' },
  { name: 'pupetier', targets: ['puppeteer'], reported: 'Phylum / Checkmarx, November 2024' },
  { name: 'puppetter', targets: ['puppeteer'], reported: 'Phylum / Checkmarx, November 2024' },
  { name: 'pupeteer', targets: ['puppeteer'], reported: 'Phylum / Checkmarx, November 2024' },
  { name: 'types-node', targets: ['@types/node'], reported: 'Socket, December 2024' },
  {
    name: '@typescript_eslinter/eslint',
    targets: ['@typescript-eslint/*', 'typescript-eslint'],
    reported: 'Socket, December 2024',
  },
  { name: 'passports-js', targets: ['passport'], reported: 'Datadog Security Labs, 2024' },
  { name: 'bcrypts', targets: ['bcrypt'], reported: 'Datadog Security Labs, 2024' },
  {
    name: 'postmark-mcp',
    targets: ['@activecampaign/postmark-mcp'],
    reported: 'Koi Security, September 2025',
  },
  {
    name: 'node-hide-console-windows',
    targets: ['node-hide-console-window'],
    reported: 'ReversingLabs, October 2023',
  },
  { name: 'ethersproject-wallet', targets: ['@ethersproject/wallet'], reported: 'Socket, 2026' },
  { name: 'bs58-basic', targets: ['bs58'], reported: 'Socket, 2026' },
  { name: '@nomicsfoundation/sdk-test', targets: ['@nomicfoundation/*'], reported: 'Socket, January 2025' },
  {
    name: '@nomisfoundation/hardhat-configure',
    targets: ['@nomicfoundation/*'],
    reported: 'Socket, January 2025',
  },
];
