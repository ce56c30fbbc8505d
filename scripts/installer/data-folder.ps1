# Qabyldau MSI, deferred custom action as LocalSystem (scripts/installer/msi-project-created.cjs):
# creates %ProgramData%\Qabyldau and %ProgramData%\Qabyldau\data with their access lists, or refuses
# a folder someone else made (exit 2: the installation fails and rolls back; see the MSI log).
#   %ProgramData%\Qabyldau       SYSTEM, Administrators: full control; Qabyldau Operators: read
#                                (config.json there is the machine-wide, locked configuration)
#   %ProgramData%\Qabyldau\data  + Qabyldau Operators: modify (the database, scans, logs, keys)
# No inherited entries (the default ProgramData ACL lets every user create and read files).
# docs/packaging.md, "The data folder".
$ErrorActionPreference = 'Stop'
$root = Join-Path $env:ProgramData 'Qabyldau'
$data = Join-Path $root 'data'
$groupName = 'Qabyldau Operators'
# SYSTEM, Administrators, TrustedInstaller: the only owners a folder made by an installer can have.
$trustedOwners = @('S-1-5-18', 'S-1-5-32-544', 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464')

function Assert-OwnFolder([string]$path) {
  if (-not (Test-Path -LiteralPath $path)) { return }
  $item = Get-Item -LiteralPath $path -Force
  if (-not $item.PSIsContainer -or ($item.Attributes -band [IO.FileAttributes]::ReparsePoint)) { exit 2 }
  $owner = (Get-Acl -LiteralPath $path).GetOwner([System.Security.Principal.SecurityIdentifier]).Value
  if ($trustedOwners -notcontains $owner) { exit 2 }
}

Assert-OwnFolder $root
Assert-OwnFolder $data
$group = Get-LocalGroup -Name $groupName -ErrorAction SilentlyContinue
if (-not $group) { $group = New-LocalGroup -Name $groupName -Description 'Windows accounts that run Qabyldau' }
$sid = $group.SID.Value
foreach ($p in @($root, $data)) { if (-not (Test-Path -LiteralPath $p)) { New-Item -ItemType Directory -Path $p | Out-Null } }

$rootSddl = "D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;$sid)"
$dataSddl = "D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;$sid)"
foreach ($pair in @(@($root, $rootSddl), @($data, $dataSddl))) {
  $acl = Get-Acl -LiteralPath $pair[0]
  $acl.SetSecurityDescriptorSddlForm($pair[1], [System.Security.AccessControl.AccessControlSections]::Access)
  Set-Acl -LiteralPath $pair[0] -AclObject $acl
}
exit 0
