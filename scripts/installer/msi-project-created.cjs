// electron-builder's msiProjectCreated hook (electron-builder.yml): adds to the MSI a deferred
// custom action, run as LocalSystem after the files are installed, that creates the data folder
// with its access list or refuses a folder someone else made (data-folder.ps1, shipped in
// resources/installer/). A non-zero exit fails the installation, which rolls back.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS hook: electron-builder require()s it */
const { readFileSync, writeFileSync } = require('node:fs');

const ACTION = `
    <CustomAction Id="QabyldauDataFolderRights" Directory="APPLICATIONFOLDER" Execute="deferred" Impersonate="no" Return="check"
      ExeCommand='"[System64Folder]WindowsPowerShell\\v1.0\\powershell.exe" -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "[APPLICATIONFOLDER]resources\\installer\\data-folder.ps1"'/>
    <InstallExecuteSequence>
      <Custom Action="QabyldauDataFolderRights" After="InstallFiles"><![CDATA[NOT (REMOVE~="ALL")]]></Custom>
    </InstallExecuteSequence>
`;

/** The project with the custom action added inside <Product>. */
function patchWxs(text) {
  if (text.includes('QabyldauDataFolderRights')) return text;
  const at = text.lastIndexOf('</Product>');
  if (at < 0) throw new Error('msi-project-created: no </Product> in the WiX project');
  return text.slice(0, at) + ACTION + text.slice(at);
}

module.exports = async function msiProjectCreated(projectFile) {
  writeFileSync(projectFile, patchWxs(readFileSync(projectFile, 'utf8')));
};
module.exports.patchWxs = patchWxs;
