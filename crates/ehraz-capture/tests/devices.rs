//! The device cameras: what can be known without one (the choice of camera and format,
//! the errors the app is told, the pixel conversions), and what this machine's cameras
//! truly are.

use std::io;

use ehraz_capture::device::convert::{self, ConvertError};
use ehraz_capture::device::{
    CameraChoice, CameraError, CameraInfo, DeviceFormat, DevicePixels, Facing, FormatRequest,
    choose_camera, choose_format,
};
use ehraz_capture::{CaptureError, Frame, PixelFormat, photo};

fn format(width: u32, height: u32, frame_rate: u32, pixels: DevicePixels) -> DeviceFormat {
    DeviceFormat {
        width,
        height,
        frame_rate,
        pixels,
    }
}

#[test]
fn a_usb2_webcam_gives_720p_as_mjpeg_at_30_rather_than_yuyv_at_10() {
    use DevicePixels::{Mjpeg, Yuyv};
    let offered = [
        format(640, 480, 30, Yuyv),
        format(1280, 720, 10, Yuyv),
        format(1920, 1080, 5, Yuyv),
        format(640, 480, 30, Mjpeg),
        format(1280, 720, 30, Mjpeg),
        format(1920, 1080, 30, Mjpeg),
    ];
    assert_eq!(
        choose_format(&offered, FormatRequest::VIDEO),
        Some(format(1280, 720, 30, Mjpeg))
    );
    assert_eq!(
        choose_format(&offered, FormatRequest::Largest),
        Some(format(1920, 1080, 30, Mjpeg))
    );
}

#[test]
fn closeness_takes_rate_then_size_then_layout() {
    use DevicePixels::{Gray, Mjpeg, Nv12, Rgb, Yuyv};
    // Only slow 720p: a smaller size at full rate wins; 25 counts as near 30.
    let slow = [
        format(1280, 720, 5, Nv12),
        format(960, 540, 30, Mjpeg),
        format(1920, 1080, 25, Mjpeg),
    ];
    assert_eq!(
        choose_format(&slow, FormatRequest::VIDEO),
        Some(format(960, 540, 30, Mjpeg))
    );
    let european = [format(1280, 720, 25, Mjpeg), format(1920, 1080, 30, Mjpeg)];
    assert_eq!(
        choose_format(&european, FormatRequest::VIDEO),
        Some(format(1280, 720, 25, Mjpeg))
    );
    // The same size and rate in every layout: NV12 first, grey last.
    let layouts = [
        format(1280, 720, 30, Gray),
        format(1280, 720, 30, Rgb),
        format(1280, 720, 30, Mjpeg),
        format(1280, 720, 30, Yuyv),
        format(1280, 720, 30, Nv12),
    ];
    assert_eq!(
        choose_format(&layouts, FormatRequest::VIDEO),
        Some(format(1280, 720, 30, Nv12))
    );
    assert_eq!(
        choose_format(&layouts[..3], FormatRequest::VIDEO),
        Some(format(1280, 720, 30, Mjpeg))
    );
    // Of two rates at the asked size, the nearer.
    let rates = [format(1280, 720, 60, Yuyv), format(1280, 720, 24, Yuyv)];
    assert_eq!(
        choose_format(&rates, FormatRequest::VIDEO),
        Some(format(1280, 720, 24, Yuyv))
    );
    assert_eq!(choose_format(&[], FormatRequest::VIDEO), None);
    assert_eq!(choose_format(&[], FormatRequest::Largest), None);
}

#[test]
fn the_largest_picture_wins_then_its_best_rate() {
    use DevicePixels::{Mjpeg, Yuyv};
    let offered = [
        format(2592, 1944, 2, Yuyv),
        format(2592, 1944, 15, Mjpeg),
        format(1920, 1080, 30, Mjpeg),
    ];
    assert_eq!(
        choose_format(&offered, FormatRequest::Largest),
        Some(format(2592, 1944, 15, Mjpeg))
    );
}

fn camera(id: &str, name: &str, facing: Option<Facing>) -> CameraInfo {
    CameraInfo {
        id: id.into(),
        name: name.into(),
        facing,
    }
}

#[test]
fn a_camera_is_chosen_by_id_name_facing_or_first() {
    let desk = [
        camera("0", "Integrated Camera: Integrated C", None),
        camera("2", "HD Pro Webcam C920", None),
    ];
    let pick = |choice| choose_camera(&desk, &choice).map(|c| c.id.clone());
    assert_eq!(pick(CameraChoice::First).expect("first"), "0");
    assert_eq!(pick(CameraChoice::ById("2".into())).expect("id"), "2");
    assert_eq!(
        pick(CameraChoice::ByName("c920".into())).expect("name"),
        "2"
    );
    // A desktop says nothing of facing: any facing is the first camera.
    assert_eq!(
        pick(CameraChoice::Facing(Facing::Front)).expect("front"),
        "0"
    );
    assert!(matches!(
        pick(CameraChoice::ById("1".into())),
        Err(CameraError::NotFound(_))
    ));
    assert!(matches!(
        pick(CameraChoice::ByName("Brio".into())),
        Err(CameraError::NotFound(_))
    ));

    let phone = [
        camera("0", "Back Camera", Some(Facing::Back)),
        camera("1", "Front Camera", Some(Facing::Front)),
    ];
    let pick = |choice| choose_camera(&phone, &choice).map(|c| c.id.clone());
    assert_eq!(
        pick(CameraChoice::Facing(Facing::Front)).expect("front"),
        "1"
    );
    assert_eq!(pick(CameraChoice::Facing(Facing::Back)).expect("back"), "0");
    // An exact name beats one that merely contains it.
    let named = [
        camera("0", "Camera 10", None),
        camera("1", "camera 1", None),
    ];
    assert_eq!(
        choose_camera(&named, &CameraChoice::ByName("Camera 1".into()))
            .expect("exact")
            .id,
        "1"
    );
    let only_back = [camera("0", "Back Camera", Some(Facing::Back))];
    assert!(matches!(
        choose_camera(&only_back, &CameraChoice::Facing(Facing::Front)),
        Err(CameraError::NotFound(_))
    ));
    assert!(matches!(
        choose_camera(&[], &CameraChoice::First),
        Err(CameraError::NoCamera)
    ));
    assert!(matches!(
        choose_camera(&[], &CameraChoice::ById("0".into())),
        Err(CameraError::NoCamera)
    ));
}

#[test]
fn platform_messages_map_to_what_the_person_is_told() {
    let of = |m: &str| CameraError::from_message(m.to_owned());
    // What nokhwa's V4L2 backend says, with the errno's text from std.
    assert!(matches!(
        of("Could not open device 0: V4L2 Error: Device or resource busy (os error 16)"),
        CameraError::Busy(_)
    ));
    assert!(matches!(
        of(
            "Could not set device property Resolution, FrameFormat with value 1280x720@30FPS, \
            MJPEG: Device or resource busy (os error 16)"
        ),
        CameraError::Busy(_)
    ));
    assert!(matches!(
        of("Could not open device 0: V4L2 Error: Permission denied (os error 13)"),
        CameraError::Denied(_)
    ));
    assert!(matches!(
        of("Could not open device 3: V4L2 Error: No such file or directory (os error 2)"),
        CameraError::NotFound(_)
    ));
    assert!(matches!(
        of("Could not capture frame: No such device (os error 19)"),
        CameraError::NotFound(_)
    ));
    // Media Foundation's HRESULTs.
    assert!(matches!(
        of("Could not open device stream: Access is denied. (0x80070005)"),
        CameraError::Denied(_)
    ));
    assert!(matches!(
        of(
            "Could not open device stream: The video recording device is already in use \
            (0xC00D3704)"
        ),
        CameraError::Busy(_)
    ));
    // Not "os error 21" mistaken for "os error 2".
    match of("Could not capture frame: Is a directory (os error 21)") {
        CameraError::Io(e) => assert!(e.to_string().contains("os error 21")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn camera_errors_keep_their_kind_when_a_source_fails() {
    let kind = |e: CameraError| match CaptureError::from(e) {
        CaptureError::Io(e) => Some(e.kind()),
        _ => None,
    };
    assert_eq!(
        kind(CameraError::Busy("x".into())),
        Some(io::ErrorKind::ResourceBusy)
    );
    assert_eq!(
        kind(CameraError::Denied("x".into())),
        Some(io::ErrorKind::PermissionDenied)
    );
    assert_eq!(kind(CameraError::NoCamera), Some(io::ErrorKind::NotFound));
    assert!(matches!(
        CaptureError::from(CameraError::Unsupported("grey".into())),
        CaptureError::Unsupported(w) if w == "grey"
    ));
}

#[cfg(target_os = "linux")]
#[test]
fn with_no_camera_the_list_is_empty_and_opening_says_no_camera() {
    use ehraz_capture::DeviceCamera;
    use ehraz_capture::device::cameras;
    let listed = cameras().expect("listing cameras works without any");
    if listed.is_empty() {
        // This machine (and CI): no /dev/video*.
        for choice in [
            CameraChoice::First,
            CameraChoice::Facing(Facing::Front),
            CameraChoice::ById("0".into()),
        ] {
            let error = DeviceCamera::open(&choice, FormatRequest::VIDEO).expect_err("no camera");
            assert!(matches!(error, CameraError::NoCamera), "{error:?}");
        }
    } else {
        // A developer's machine with a camera: an id it does not have is not found.
        let error = DeviceCamera::open(
            &CameraChoice::ById("no-such-camera".into()),
            FormatRequest::VIDEO,
        )
        .expect_err("no such id");
        assert!(matches!(error, CameraError::NotFound(_)), "{error:?}");
    }
}

#[test]
fn yuyv_keeps_the_luma_and_averages_the_chroma_of_row_pairs() {
    // 4×3: two chroma rows, the last from the odd third row alone.
    #[rustfmt::skip]
    let yuyv = [
        16, 100, 20, 200,   30, 110, 40, 210,
        50, 102, 60, 203,   70, 113, 80, 212,
        90, 120, 91, 220,   92, 130, 93, 230,
    ];
    let i420 = convert::yuyv_to_i420(4, 3, &yuyv).expect("converts");
    assert_eq!(
        i420,
        [
            16, 20, 30, 40, 50, 60, 70, 80, 90, 91, 92, 93, // Y
            101, 112, 120, 130, // U: (100+102)/2, (110+113)/2 rounded, then row 3 alone
            202, 211, 220, 230, // V
        ]
    );
    assert_eq!(i420.len(), PixelFormat::I420.frame_len(4, 3));
    assert_eq!(
        convert::yuyv_to_i420(3, 2, &[0; 12]),
        Err(ConvertError::OddWidth(3))
    );
    assert_eq!(
        convert::yuyv_to_i420(4, 2, &[0; 15]),
        Err(ConvertError::Size {
            pixels: DevicePixels::Yuyv,
            width: 4,
            height: 2,
            expected: 16,
            actual: 15
        })
    );
}

#[test]
fn nv12_splits_its_interleaved_chroma() {
    let mut nv12: Vec<u8> = (1..=8).collect();
    nv12.extend([101, 201, 102, 202]);
    let i420 = convert::nv12_to_i420(4, 2, &nv12).expect("converts");
    assert_eq!(i420, [1, 2, 3, 4, 5, 6, 7, 8, 101, 102, 201, 202]);
    assert!(matches!(
        convert::nv12_to_i420(4, 2, &nv12[..11]),
        Err(ConvertError::Size { expected: 12, .. })
    ));
}

/// I420 of a 2×2 frame of one RGB colour: (Y, U, V).
fn yuv_of(rgb: [u8; 3]) -> (u8, u8, u8) {
    let data: Vec<u8> = rgb.iter().copied().cycle().take(12).collect();
    let i420 = convert::rgb_to_i420(2, 2, &data).expect("converts");
    assert!(i420[..4].iter().all(|&y| y == i420[0]), "{i420:?}");
    (i420[0], i420[4], i420[5])
}

#[test]
fn rgb_converts_as_bt601_studio_range() {
    assert_eq!(yuv_of([0, 0, 0]), (16, 128, 128));
    assert_eq!(yuv_of([255, 255, 255]), (235, 128, 128));
    // BT.601 studio range: red (81.5, 90, 240), green (144.5, 54, 34), blue (41, 240, 110).
    assert_eq!(yuv_of([255, 0, 0]), (82, 90, 240));
    assert_eq!(yuv_of([0, 255, 0]), (144, 54, 34));
    assert_eq!(yuv_of([0, 0, 255]), (41, 240, 110));
    // BGR is the same colours in the other order.
    let bgr_red: Vec<u8> = [0, 0, 255].into_iter().cycle().take(12).collect();
    let converted = convert::to_i420(DevicePixels::Bgr, 2, 2, &bgr_red).expect("converts");
    assert_eq!(
        (converted.data[0], converted.data[4], converted.data[5]),
        (82, 90, 240)
    );
}

#[test]
fn rgb_and_back_again_comes_within_a_few_levels() {
    for rgb in [
        [0, 0, 0],
        [255, 255, 255],
        [200, 150, 100],
        [30, 90, 160],
        [128, 128, 128],
    ] {
        let data: Vec<u8> = rgb.iter().copied().cycle().take(4 * 4 * 3).collect();
        let frame = Frame {
            width: 4,
            height: 4,
            format: PixelFormat::I420,
            data: convert::rgb_to_i420(4, 4, &data).expect("i420").into(),
            captured: std::time::Duration::ZERO,
            sequence: 0,
        };
        let back = photo::to_rgb(&frame).expect("rgb");
        for (got, want) in back.chunks(3).flat_map(|px| px.iter().zip(rgb.iter())) {
            assert!(got.abs_diff(*want) <= 3, "{rgb:?} came back as {back:?}");
        }
    }
}

#[test]
fn odd_sides_average_the_pixels_a_chroma_sample_covers() {
    // 3×1: chroma of (red, green) then of blue alone.
    let data = [255, 0, 0, 0, 255, 0, 0, 0, 255];
    let i420 = convert::rgb_to_i420(3, 1, &data).expect("converts");
    assert_eq!(i420.len(), PixelFormat::I420.frame_len(3, 1));
    assert_eq!(&i420[..3], [82, 144, 41]);
    // The mean of red and green is (128, 128, 0).
    assert_eq!(yuv_of([128, 128, 0]).1, i420[3]);
    assert_eq!(i420[4], 240, "blue's U alone");
}

#[test]
fn greys_become_studio_range_luma_with_no_colour() {
    let i420 = convert::gray_to_i420(2, 2, &[0, 255, 128, 64]).expect("converts");
    assert_eq!(i420, [16, 235, 126, 71, 128, 128]);
}

#[test]
fn an_mjpeg_frame_decodes_to_its_size_and_a_torn_one_is_refused() {
    let (width, height) = (32, 16);
    let pixels: Vec<u8> = [200, 150, 100]
        .into_iter()
        .cycle()
        .take(width * height * 3)
        .collect();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95)
        .encode(&pixels, 32, 16, image::ExtendedColorType::Rgb8)
        .expect("encodes");
    // Declared 640×480 by the camera; the picture says 32×16 and wins.
    let frame = convert::to_i420(DevicePixels::Mjpeg, 640, 480, &jpeg).expect("decodes");
    assert_eq!((frame.width, frame.height), (32, 16));
    assert_eq!(frame.data.len(), PixelFormat::I420.frame_len(32, 16));
    let (y, u, v) = yuv_of([200, 150, 100]);
    for (got, want) in [
        (frame.data[0], y),
        (frame.data[512], u),
        (frame.data[640], v),
    ] {
        assert!(got.abs_diff(want) <= 2, "{got} for {want}");
    }
    assert!(matches!(
        convert::mjpeg_to_i420(&jpeg[..jpeg.len() / 3]),
        Err(ConvertError::Jpeg(_))
    ));
    assert!(matches!(
        convert::mjpeg_to_i420(b"not a jpeg"),
        Err(ConvertError::Jpeg(_))
    ));
}
