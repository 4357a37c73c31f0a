; Rebill's Windows installer, built by make package-windows with NSIS
; (makensis -DVERSION=0.1.0 -DBUILD=7 -DSRC=folder -DICON=file.ico -DOUT=file.exe).
; It installs for the current user only, so that no administrator is
; needed: into %LocalAppData%\Programs\Rebill, with a Start menu entry, a
; desktop shortcut and an entry in Settings > Apps to uninstall. The data
; (%AppData%\Rebill) is the user's and is never removed by the uninstaller.
; A 64-bit installer for a 64-bit program (and Wine64 runs it).
Target amd64-unicode
ManifestSupportedOS Win10
RequestExecutionLevel user
SetCompressor /SOLID lzma

Name "Rebill"
OutFile "${OUT}"
InstallDir "$LOCALAPPDATA\Programs\Rebill"
Icon "${ICON}"
UninstallIcon "${ICON}"
VIProductVersion "${VERSION}.${BUILD}"
VIAddVersionKey "ProductName" "Rebill"
VIAddVersionKey "FileDescription" "Rebill installer"
VIAddVersionKey "FileVersion" "${VERSION}.${BUILD}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "Rebill authors"

!include "MUI2.nsh"
!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_FINISHPAGE_RUN "$INSTDIR\rebill.exe"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\app.rebill.desktop"

Section "Rebill"
  SetOutPath "$INSTDIR"
  File "${SRC}\rebill.exe"
  File "${SRC}\README.txt"
  File "${SRC}\LICENSE-DejaVu.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\Rebill.lnk" "$INSTDIR\rebill.exe"
  CreateShortcut "$DESKTOP\Rebill.lnk" "$INSTDIR\rebill.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "Rebill"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "Rebill"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\rebill.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\Rebill.lnk"
  Delete "$DESKTOP\Rebill.lnk"
  Delete "$INSTDIR\rebill.exe"
  Delete "$INSTDIR\README.txt"
  Delete "$INSTDIR\LICENSE-DejaVu.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
